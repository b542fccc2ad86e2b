import { subgraphCodegen } from '@fabline/shared/codegen';

export default subgraphCodegen({
  contextType: '../context.ts#ShopContext',
  prismaModels: { Order: 'Order', Model3D: 'Model3D', OrderStatusChange: 'OrderStatusChange' },
  mappers: {
    // shop knows a person only by id; crm owns the rest
    Person: '{ id: string }',
    OrderItem: '../resolvers/Order.ts#OrderLine',
    // a page of orders counts the whole list only when totalCount is selected
    OrderConnection: '../orders.ts#OrderPage',
  },
  // graphql-upload hands resolvers the file as a promise
  scalars: { Upload: { input: "Promise<import('graphql-upload/processRequest.mjs').FileUpload>", output: 'never' } },
});
